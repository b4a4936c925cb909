package apperr

// OperationNotTrusted: the server runs trusted documents only (FILMGRAPH_TRUSTED_DOCUMENTS)
// and the request's operation is not in its manifest: an unknown id, or a text that is
// not exactly one of the manifest's bodies.
const OperationNotTrusted Code = "OPERATION_NOT_TRUSTED"
