package observe

// ForgetOperationLabels empties the table of operation names that became labels, so a
// test that fills it leaves none of its names, and no "other", to the tests after it.
func ForgetOperationLabels() {
	operationLabels.Lock()
	defer operationLabels.Unlock()
	clear(operationLabels.seen)
}
