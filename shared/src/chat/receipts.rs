//! Receipts and unread counts. Each member has two marks in each conversation: the highest seq
//! one of their devices has (delivered) and the highest seq they have been shown (read). Marks
//! only move forward, a read message is also delivered, and nobody can mark past the end of the
//! log. A member's own messages are read by them from the moment they send them.

use serde::{Deserialize, Serialize};

/// One member's marks in one conversation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Marks {
    pub delivered_seq: u64,
    pub read_seq: u64,
}

/// Which mark a receipt moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Receipt {
    Delivered,
    Read,
}

impl Marks {
    /// The marks after a receipt for `seq` in a log whose last seq is `last_seq`, or `None` when
    /// nothing moves (an old or repeated receipt: nobody needs to hear of it).
    pub fn after(self, receipt: Receipt, seq: u64, last_seq: u64) -> Option<Marks> {
        let seq = seq.min(last_seq);
        let next = match receipt {
            Receipt::Delivered => Marks { delivered_seq: self.delivered_seq.max(seq), ..self },
            Receipt::Read => {
                Marks { delivered_seq: self.delivered_seq.max(seq), read_seq: self.read_seq.max(seq) }
            }
        };
        (next != self).then_some(next)
    }

    /// The marks after the member sent message `seq` themselves.
    pub fn after_own_message(self, seq: u64) -> Marks {
        Marks { delivered_seq: self.delivered_seq.max(seq), read_seq: self.read_seq.max(seq) }
    }

    /// Messages the member has not read.
    pub fn unread(self, last_seq: u64) -> u64 {
        last_seq.saturating_sub(self.read_seq)
    }
}

/// How far along the other members are with message `seq`: "delivered to 4, read by 3 of 5".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub delivered: usize,
    pub read: usize,
    /// The members other than the sender.
    pub of: usize,
}

/// The progress of the sender's message `seq` among the others' marks (`others`: every member
/// but the sender, with marks as they may be shown: a member who keeps read receipts private
/// shows delivery only).
pub fn progress(seq: u64, others: &[Marks]) -> Progress {
    Progress {
        delivered: others.iter().filter(|m| m.delivered_seq >= seq).count(),
        read: others.iter().filter(|m| m.read_seq >= seq).count(),
        of: others.len(),
    }
}

/// The marks another member may see: without read receipts, reading looks like delivery.
pub fn as_shown(marks: Marks, sends_read_receipts: bool) -> Marks {
    if sends_read_receipts {
        marks
    } else {
        Marks { delivered_seq: marks.delivered_seq, read_seq: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_move_forward_and_read_implies_delivered() {
        let start = Marks::default();
        let delivered = start.after(Receipt::Delivered, 5, 10).unwrap();
        assert_eq!(delivered, Marks { delivered_seq: 5, read_seq: 0 });
        assert_eq!(delivered.after(Receipt::Delivered, 3, 10), None, "an older receipt moves nothing");
        assert_eq!(delivered.after(Receipt::Delivered, 5, 10), None, "nor does a repeated one");
        let read = delivered.after(Receipt::Read, 7, 10).unwrap();
        assert_eq!(read, Marks { delivered_seq: 7, read_seq: 7 });
        assert_eq!(read.after(Receipt::Read, 2, 10), None);
    }

    #[test]
    fn nobody_marks_past_the_end_of_the_log() {
        assert_eq!(
            Marks::default().after(Receipt::Read, 99, 4).unwrap(),
            Marks { delivered_seq: 4, read_seq: 4 }
        );
        assert_eq!(Marks::default().after(Receipt::Read, 1, 0), None, "an empty log has nothing to read");
    }

    #[test]
    fn unread_counts_what_is_past_the_read_mark_and_own_messages_are_read() {
        let marks = Marks { delivered_seq: 8, read_seq: 6 };
        assert_eq!(marks.unread(10), 4);
        let sent = marks.after_own_message(11);
        assert_eq!(sent.unread(11), 0, "sending reads everything before it too");
        assert_eq!(Marks::default().unread(0), 0);
    }

    #[test]
    fn progress_counts_the_other_members() {
        let others = [
            Marks { delivered_seq: 9, read_seq: 9 },
            Marks { delivered_seq: 9, read_seq: 3 },
            Marks { delivered_seq: 2, read_seq: 2 },
            Marks { delivered_seq: 12, read_seq: 12 },
        ];
        assert_eq!(progress(9, &others), Progress { delivered: 3, read: 2, of: 4 });
        assert_eq!(progress(1, &others), Progress { delivered: 4, read: 4, of: 4 });
        assert_eq!(progress(13, &others), Progress { delivered: 0, read: 0, of: 4 });
    }

    #[test]
    fn private_read_receipts_show_as_delivery() {
        let marks = Marks { delivered_seq: 9, read_seq: 9 };
        assert_eq!(as_shown(marks, true), marks);
        assert_eq!(as_shown(marks, false), Marks { delivered_seq: 9, read_seq: 0 });
        assert_eq!(progress(9, &[as_shown(marks, false)]), Progress { delivered: 1, read: 0, of: 1 });
    }
}
