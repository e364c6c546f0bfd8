/**
 * How many claims of this process are waiting for a reservation right now ("go at time t": every
 * eligible budget is spent). Work that waits here is bound by rate-limit budgets, not by workers,
 * so autoscaling must not add workers for it.
 */
export class ReservationWaits {
  private waiting = 0;

  get current(): number {
    return this.waiting;
  }

  /** Counts the call as waiting until `wait` settles. */
  async during<T>(wait: Promise<T>): Promise<T> {
    this.waiting++;
    try {
      return await wait;
    } finally {
      this.waiting--;
    }
  }
}
