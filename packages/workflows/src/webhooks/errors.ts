/** Errors of the webhook module; each names what a caller (the API) maps it to. */

/** A webhook URL that may not be used: malformed, not https, or resolving to a private address. */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
  constructor(
    /** Why, in words a person can act on (`resolves to 10.0.0.7, a private address`). */
    readonly reason: string,
  ) {
    super(`url: ${reason}`);
  }
}

/** An endpoint field other than the URL is invalid (events, description). */
export class WebhookInputError extends Error {
  override readonly name = 'WebhookInputError';
  constructor(
    /** The field at fault, e.g. `events[1]`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A delivery cannot be replayed in its present state (still in flight, succeeded, endpoint disabled). */
export class WebhookReplayError extends Error {
  override readonly name = 'WebhookReplayError';
  constructor(
    readonly deliveryId: string,
    readonly reason: string,
  ) {
    super(`delivery ${deliveryId} cannot be replayed: ${reason}`);
  }
}
