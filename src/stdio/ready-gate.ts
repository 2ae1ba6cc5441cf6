import { GatewayError } from '../core/errors.js';

interface Waiter {
  resolve(): void;
  reject(error: GatewayError): void;
}

/** Callers waiting for a process to become ready: let through together, or turned away together. */
export class ReadyGate {
  #waiters: Waiter[] = [];

  /** Resolves when the gate opens; rejects when it fails, or with a 504 after `timeoutMs`. */
  wait(timeoutMs: number, timeoutMessage: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new GatewayError(504, timeoutMessage));
      }, timeoutMs);
      timer.unref();
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  open(): void {
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  fail(error: GatewayError): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}
