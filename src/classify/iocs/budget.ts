// How many more candidates of one kind the scans of an event may look at. Shared by every text
// of the event, so a session of many hostile commands costs a bounded amount of work in all.

export class Budget {
  #left: number;

  constructor(max: number) {
    this.#left = max;
  }

  /** Takes one candidate's worth; false once none is left. */
  take(): boolean {
    if (this.#left <= 0) return false;
    this.#left--;
    return true;
  }
}
