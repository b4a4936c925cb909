# filmgraph as a static binary in a small image, run as a non-root user.
#
#   docker build -t filmgraph .
#   docker run -e NEO4J_URI=bolt://neo4j:7687 -e NEO4J_PASSWORD=... -e JWT_SECRET=... -p 8080:8080 filmgraph
#
# The image has no Java, so it needs a Neo4j named by NEO4J_URI (compose.yaml runs one);
# load the seed into it once with the `seed` command.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# No cgo: a static binary that runs on any Linux. The tests build with this very line
# (internal/programtest reads it from here). -buildvcs=auto stamps the commit when
# the build context holds the .git directory (`filmgraph version` prints it).
RUN CGO_ENABLED=0 go build -buildvcs=auto -trimpath -ldflags=-s -o /out/filmgraph .

FROM alpine:3.22
# Busybox's wget answers the health check; nothing else is needed beside the binary.
RUN adduser -D -H -u 10001 filmgraph
COPY --from=build /out/filmgraph /usr/local/bin/filmgraph
USER 10001:10001
ENV FILMGRAPH_ENV=production
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["filmgraph"]
CMD ["serve"]
