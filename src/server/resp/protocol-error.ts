/** A request that breaks RESP framing. The message is Redis's own wording, minus "-ERR ". */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}
