/** Progress on stderr: one updating line on a terminal, a line per step otherwise. */
export class Progress {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  constructor(private readonly quiet = false) {}
  step(message: string): void {
    if (this.quiet) return;
    if (this.tty) process.stderr.write(`\r\x1b[K${message}\n`);
    else process.stderr.write(message + "\n");
  }
  /** A frequent update, throttled to ~4 per second. */
  tick(message: string): void {
    if (this.quiet) return;
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    if (this.tty) process.stderr.write(`\r\x1b[K${message}`);
  }
}
