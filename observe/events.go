package observe

import "github.com/prometheus/client_golang/prometheus"

// Metrics of the subscriptions' event broker (package events), whichever bus carries it.
var (
	eventsPublished = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmgraph_events_published_total",
		Help: "Events of committed writes handed to the broker, by bus (local, nats) and outcome (ok; dropped when the bus was unreachable).",
	}, []string{"bus", "outcome"})
	eventsDelivered = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "filmgraph_events_delivered_total",
		Help: "Events handed to a subscription of this replica (one per subscriber).",
	})
	eventsDropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmgraph_events_dropped_total",
		Help: "Subscriptions ended because they missed events, by reason (slow_subscriber: fell a buffer behind; bus_down: the bus was unreachable).",
	}, []string{"reason"})
	eventBusUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmgraph_event_bus_up",
		Help: "1 while the event bus (NATS) is connected, 0 while it is away; always 1 with the in-process broker.",
	})
)

func init() {
	eventBusUp.Set(1)
	registry.MustRegister(eventsPublished, eventsDelivered, eventsDropped, eventBusUp)
}

// EventPublished records one event handed to bus; ok is false when the bus refused it.
func EventPublished(bus string, ok bool) {
	outcome := "ok"
	if !ok {
		outcome = "dropped"
	}
	eventsPublished.WithLabelValues(bus, outcome).Inc()
}

// EventsDelivered records n events handed to subscriptions.
func EventsDelivered(n int) { eventsDelivered.Add(float64(n)) }

// EventsDropped records n subscriptions ended for missing events, for reason.
func EventsDropped(reason string, n int) { eventsDropped.WithLabelValues(reason).Add(float64(n)) }

// SetEventBusUp records whether the event bus is connected.
func SetEventBusUp(up bool) {
	if up {
		eventBusUp.Set(1)
	} else {
		eventBusUp.Set(0)
	}
}
