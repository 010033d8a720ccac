// A poker table socket for the e2e suites: one viewer (player or spectator) of one table on
// `GET /api/poker/tables/{id}/socket` (see frame-socket.mjs for the frame queue). `state` is the
// latest `state` frame.
import { FrameSocket, closeAllFrameSockets } from "./frame-socket.mjs";

export const closeAllPokerSockets = closeAllFrameSockets;

export class PokerSocket extends FrameSocket {
  /** Opens table `tableId`'s socket as the person whose session `jar` holds. */
  static open(tableId, { jar, headers = {} } = {}) {
    return FrameSocket.connect(`/api/poker/tables/${tableId}/socket`, { jar, headers }, (ws) => new PokerSocket(ws));
  }

  constructor(ws) {
    super(ws);
    this.listeners = [];
    this.state = null;
  }

  received(frame) {
    if (frame.type === "state") this.state = frame;
    for (const listener of this.listeners) listener(frame);
    return true;
  }

  /** Calls `listener` with every frame from now on. */
  onFrame(listener) {
    this.listeners.push(listener);
  }

  nextOf(type, ms, match = () => true) {
    return this.next((f) => f.type === type && match(f), ms, `"${type}"`);
  }
}

/**
 * A random legal action for the state's `legal`: mostly checks and calls, a fold a fifth of the
 * time facing a bet, a raise of up to twice the minimum now and then, all in rarely (so that
 * players seldom go broke and a table keeps playing for hundreds of hands).
 */
export function randomAction(legal, random = Math.random) {
  const roll = random();
  if (legal.bring_in != null && roll < 0.5) return { action: "bring_in" };
  if (legal.raise && roll > 0.85) {
    const { kind, min, max } = legal.raise;
    const amount = roll > 0.995 ? max : min + Math.floor(random() * (min + 1));
    return { action: kind, amount: Math.min(amount, max) };
  }
  if (legal.bring_in != null) return { action: "bring_in" };
  if (legal.call != null && roll < 0.2) return { action: "fold" };
  if (legal.check) return { action: "check" };
  if (legal.call != null) return { action: "call" };
  return { action: "fold" };
}
