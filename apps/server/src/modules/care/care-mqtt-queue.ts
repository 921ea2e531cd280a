// The MQTT link's waiting messages, one line per topic, served in turn.
//
// Every message the broker hands us waits here until the one before it has been handled. A single
// line for all topics let one topic's flood (an anonymous client sending 20,000 batches with a
// wrong key) hold a real gateway's batch back by seconds, and grow without limit. So each topic
// waits in its own line, the lines are served one message each in turn (a topic's own messages keep
// their order), a topic may hold only so many waiting messages, and all of them together only so
// many messages and bytes. What does not fit is the newest message of the topic with the most
// waiting: the flooding topic pays for its flood, and no other.
export type MqttQueueLimits = {
  /** Messages one topic may have waiting. */
  perTopic: number;
  /** Messages all topics together may have waiting. */
  total: number;
  /** Bytes all waiting payloads together may hold. */
  totalBytes: number;
};

export const DEFAULT_MQTT_QUEUE_LIMITS: MqttQueueLimits = { perTopic: 32, total: 2000, totalBytes: 64 * 1_048_576 };

export type Waiting<T> = { topic: string; item: T; bytes: number };

export class TopicQueue<T> {
  // A Map keeps insertion order: the topic served next is the first, and goes to the end after its turn.
  private readonly lines = new Map<string, Waiting<T>[]>();
  private count = 0;
  private bytes = 0;

  constructor(private readonly limits: MqttQueueLimits) {}

  get size(): number {
    return this.count;
  }

  /** Adds a message; returns those that did not fit (possibly this one), newest of the longest line first. */
  push(topic: string, item: T, bytes: number): Waiting<T>[] {
    const waiting = { topic, item, bytes };
    const line = this.lines.get(topic);
    if (line && line.length >= this.limits.perTopic) return [waiting];
    if (line) line.push(waiting);
    else this.lines.set(topic, [waiting]);
    this.count += 1;
    this.bytes += bytes;
    const dropped: Waiting<T>[] = [];
    while (this.count > this.limits.total || this.bytes > this.limits.totalBytes) {
      const longest = this.longestLine();
      const newest = longest?.pop();
      if (!longest || !newest) break;
      if (longest.length === 0) this.lines.delete(newest.topic);
      this.count -= 1;
      this.bytes -= newest.bytes;
      dropped.push(newest);
    }
    return dropped;
  }

  /** The next message to handle: the oldest of the topic whose turn it is. */
  shift(): Waiting<T> | undefined {
    const next = this.lines.entries().next();
    if (next.done) return undefined;
    const [topic, line] = next.value;
    const waiting = line.shift();
    this.lines.delete(topic);
    if (line.length > 0) this.lines.set(topic, line);
    if (!waiting) return undefined;
    this.count -= 1;
    this.bytes -= waiting.bytes;
    return waiting;
  }

  private longestLine(): Waiting<T>[] | undefined {
    let longest: Waiting<T>[] | undefined;
    for (const line of this.lines.values()) if (!longest || line.length > longest.length) longest = line;
    return longest;
  }
}
