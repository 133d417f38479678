/**
 * A backed-up item the console will not send to Graph, with the reason the operator reads. The
 * restore records it as that item's failure and goes on with the others.
 */
export class ItemRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ItemRefusal";
  }
}
