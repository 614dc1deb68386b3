//! The token usage of one committed reply, for a usage ledger: read from the upstream's
//! body or stream with [`crate::translate::usage`] and published when the reply completes
//! (at once for a whole body; when the stream ends, or is cut, for a stream).
//!
//! A ledger holding a [`UsageSlot`] (a clone of [`super::upstream::Committed::usage`]) calls
//! [`UsageSlot::complete`] and gets the counts once they are final: `None` when the upstream
//! reported none (an OpenAI chat stream without `stream_options.include_usage`, an error).

use std::sync::Arc;

use tokio::sync::watch;

pub use crate::translate::usage::Usage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Pending,
    Done(Option<Usage>),
}

/// Where a reply's usage appears once it is known. Clones share one slot.
#[derive(Clone, Debug)]
pub struct UsageSlot(Arc<watch::Sender<State>>);

impl Default for UsageSlot {
    fn default() -> Self {
        UsageSlot(Arc::new(watch::Sender::new(State::Pending)))
    }
}

impl UsageSlot {
    /// Records the final usage (the first call wins).
    pub fn set(&self, usage: Option<Usage>) {
        self.0.send_if_modified(|s| {
            if *s == State::Pending {
                *s = State::Done(usage);
                true
            } else {
                false
            }
        });
    }

    /// The usage, if the reply has completed and it was reported.
    pub fn get(&self) -> Option<Usage> {
        match *self.0.borrow() {
            State::Done(u) => u,
            State::Pending => None,
        }
    }

    /// Whether the reply has completed (its usage is final).
    pub fn is_complete(&self) -> bool {
        *self.0.borrow() != State::Pending
    }

    /// Waits until the reply completes; its usage.
    pub async fn complete(&self) -> Option<Usage> {
        let mut rx = self.0.subscribe();
        match rx.wait_for(|s| *s != State::Pending).await {
            Ok(s) => match *s {
                State::Done(u) => u,
                State::Pending => None,
            },
            Err(_) => None,
        }
    }
}

/// Publishes into a slot when dropped, so a stream task that ends any way (done, failed,
/// client gone) completes the slot with what it saw.
pub struct Publish {
    pub slot: UsageSlot,
    pub seen: Option<Usage>,
}

impl Drop for Publish {
    fn drop(&mut self) {
        self.slot.set(self.seen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_value_wins_and_waiters_see_it() {
        let slot = UsageSlot::default();
        assert!(!slot.is_complete());
        let u = Usage {
            input_tokens: 3,
            output_tokens: 2,
            ..Usage::default()
        };
        {
            let _p = Publish {
                slot: slot.clone(),
                seen: Some(u),
            };
        }
        slot.set(None);
        assert!(slot.is_complete());
        assert_eq!(slot.get(), Some(u));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(slot.complete()), Some(u));
    }
}
