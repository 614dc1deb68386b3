//! The proxy's tap on the usage ledger: per request one row (token, connector, provider,
//! model, status, cause, latency, time to first token, token counts, cost), and the daily
//! budget of each placeholder token.
//!
//! Token counts are read off what the client gets — the whole body, or the stream's events as
//! they pass (OpenAI's final `usage` chunk, Anthropic's cumulative `message_start` /
//! `message_delta` counts) — with [`crate::translate::usage`]. Rows go to one writer thread
//! through a bounded channel: a request never waits for SQLite; when the channel is full the
//! row is dropped and counted (and the count reported in the proxy's log).
//!
//! Budgets are checked before a request is sent, against today's (UTC) spend kept here in
//! memory (loaded from the ledger at start-up, updated as rows are recorded). Requests in
//! flight are counted when they finish, so concurrent requests may overshoot a budget.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::Response;

use super::inbound::Endpoint;
use super::metered::UsageSlot;
use super::reply::{ProxyBody, TimedChannel, Timing};
use super::token::TokenRecord;
use crate::ledger::budget::Budget;
use crate::ledger::prices::{Counts, PriceTable};
use crate::ledger::{Clock, DAY_MS, Ledger, Row};
use crate::provider::FailureClass;
use crate::settings::Settings;
use crate::translate::Usage;

/// Rows waiting for the writer before new ones are dropped.
const QUEUE: usize = 8192;
/// Rows written per transaction at most.
const BATCH: usize = 512;
/// How long the writer gathers rows after the first before it commits them.
const GATHER: Duration = Duration::from_millis(25);

#[derive(Default)]
struct Spend {
    day_ms: i64,
    by_token: HashMap<String, (f64, u64)>,
}

/// The ledger writer and the budgets' state, shared by all requests.
pub struct Meter {
    tx: Option<SyncSender<Row>>,
    writer: Option<std::thread::JoinHandle<()>>,
    dropped: Arc<AtomicU64>,
    prices: PriceTable,
    clock: Clock,
    /// Connector name → its type (the ledger's `provider`).
    providers: HashMap<String, String>,
    spend: Mutex<Spend>,
}

impl Meter {
    /// A meter that writes no rows; budgets count only this run's requests (no prices).
    pub fn disabled() -> Meter {
        Meter {
            tx: None,
            writer: None,
            dropped: Arc::new(AtomicU64::new(0)),
            prices: PriceTable::default(),
            clock: Clock::default(),
            providers: HashMap::new(),
            spend: Mutex::new(Spend::default()),
        }
    }

    /// Opens the ledger and starts its writer thread. (Without a ledger, the proxy runs
    /// with [`Meter::disabled`]: budgets then count only that run's requests.)
    pub fn open(
        settings: &Settings,
        providers: HashMap<String, String>,
    ) -> crate::error::Result<Meter> {
        let clock = Clock::from_settings(settings);
        let prices = PriceTable::for_settings(settings)?;
        let ledger = Ledger::open(settings)?;
        let today = clock.today_ms();
        let by_token = ledger.spend_by_token(today)?;
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        let writer = std::thread::Builder::new()
            .name("byok-ledger".into())
            .spawn(move || write_rows(ledger, rx))
            .map_err(|e| crate::error::Error::Http(e.to_string()))?;
        Ok(Meter {
            tx: Some(tx),
            writer: Some(writer),
            dropped,
            prices,
            clock,
            providers,
            spend: Mutex::new(Spend {
                day_ms: today,
                by_token,
            }),
        })
    }

    /// Rows dropped because the writer fell behind.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Today's spend of a token: (USD, input + output tokens).
    pub fn spent_today(&self, token: &str) -> (f64, u64) {
        let today = self.clock.today_ms();
        let mut spend = self.spend.lock().unwrap_or_else(|p| p.into_inner());
        if spend.day_ms != today {
            spend.day_ms = today;
            spend.by_token.clear();
        }
        spend.by_token.get(token).copied().unwrap_or((0.0, 0))
    }

    /// The refusal message when the token's daily budget is used up.
    pub fn over_budget(&self, token: &str, record: &TokenRecord) -> Option<String> {
        let budget = Budget::parse(record.budget.as_deref()?)?;
        let (usd, tokens) = self.spent_today(token);
        budget.exceeded(usd, tokens).then(|| {
            format!(
                "the byok budget of placeholder token '{token}' is used up: {budget} \
                 (spent {} today, UTC); it resets at 00:00 UTC",
                budget.spent(usd, tokens)
            )
        })
    }

    /// Starts metering one request.
    pub fn begin(self: &Arc<Self>, token: &str, model: &str, endpoint: Endpoint) -> Pending {
        Pending {
            meter: Arc::clone(self),
            // Token counting is not billed: not a row.
            skip: endpoint == Endpoint::CountTokens,
            token: token.to_owned(),
            model: model.to_owned(),
            time_ms: self.clock.now_ms(),
            start: Instant::now(),
        }
    }

    fn record(&self, row: Row) {
        if let Some(token) = &row.token
            && row.time_ms >= 0
        {
            let mut spend = self.spend.lock().unwrap_or_else(|p| p.into_inner());
            let day = row.time_ms.div_euclid(DAY_MS) * DAY_MS;
            if spend.day_ms == day {
                let e = spend.by_token.entry(token.clone()).or_default();
                e.0 += row.cost_usd.unwrap_or(0.0);
                e.1 += row.input_tokens.unwrap_or(0) + row.output_tokens.unwrap_or(0);
            }
        }
        let Some(tx) = &self.tx else { return };
        match tx.try_send(row) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                if n == 1 || n.is_power_of_two() {
                    crate::output::status(&format!(
                        "byok proxy: the usage ledger fell behind; {n} row(s) dropped so far"
                    ));
                }
            }
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        // Closing the channel lets the writer drain what is queued, then end.
        self.tx.take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn write_rows(mut ledger: Ledger, rx: Receiver<Row>) {
    while let Ok(first) = rx.recv() {
        // The rows of the next GATHER share one transaction: under load a commit per request
        // was a quarter of the proxy's CPU. Sleeping (rather than waiting on the channel)
        // spares the request path a wake-up of this thread per row. A row is on disk, and
        // seen by `byok usage`, within GATHER of its request.
        std::thread::sleep(GATHER);
        let mut batch = vec![first];
        loop {
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(row) => batch.push(row),
                    Err(_) => break,
                }
            }
            if let Err(e) = ledger.insert(&batch) {
                crate::output::status(&format!(
                    "byok proxy: {} row(s) not written to the usage ledger: {e}",
                    batch.len()
                ));
            }
            if batch.len() < BATCH {
                break;
            }
            batch.clear();
        }
    }
}

/// One request being metered.
pub struct Pending {
    meter: Arc<Meter>,
    skip: bool,
    token: String,
    model: String,
    time_ms: i64,
    start: Instant,
}

impl Pending {
    fn row(&self, connector: &str, status: u16, cause: Option<&str>, usage: Option<Usage>) -> Row {
        let cost = usage.and_then(|u| {
            self.meter.prices.cost(
                &self.model,
                self.time_ms,
                Counts {
                    input: u.prompt_tokens(),
                    cached: u.cache_read_tokens,
                    cache_write: u.cache_write_tokens,
                    output: u.output_tokens,
                },
            )
        });
        Row {
            time_ms: self.time_ms,
            kind: "proxy".into(),
            token: Some(self.token.clone()),
            connector: connector.to_owned(),
            provider: self
                .meter
                .providers
                .get(connector)
                .cloned()
                .unwrap_or_default(),
            model: self.model.chars().take(256).collect(),
            status: Some(status),
            ok: cause.is_none() && (200..300).contains(&status),
            cause: cause.map(str::to_owned),
            latency_ms: self.start.elapsed().as_millis() as u64,
            ttft_ms: None,
            input_tokens: usage.map(|u| u.prompt_tokens()),
            output_tokens: usage.map(|u| u.output_tokens),
            cached_tokens: usage.map(|u| u.cache_read_tokens),
            cache_write_tokens: usage.map(|u| u.cache_write_tokens),
            cost_usd: cost,
        }
    }

    /// The request failed at every candidate; `connector` gave the last answer.
    pub fn failed(
        self,
        connector: &str,
        class: FailureClass,
        response: Response<ProxyBody>,
    ) -> Response<ProxyBody> {
        if !self.skip {
            let row = self.row(
                connector,
                response.status().as_u16(),
                Some(class.label()),
                None,
            );
            self.meter.record(row);
        }
        response
    }

    /// A connector answered: the row is written when the answer (or its stream) is done.
    /// The token counts come from `usage`, which the response path fills on the connector's
    /// own wire ([`super::metered`]), so translated and Responses requests count as billed.
    pub fn committed(
        self,
        connector: &str,
        response: Response<ProxyBody>,
        usage: UsageSlot,
    ) -> Response<ProxyBody> {
        if self.skip {
            return response;
        }
        let status = response.status().as_u16();
        let (parts, body) = response.into_parts();
        match body {
            ProxyBody::Full(bytes) => {
                let row = self.row(connector, status, None, usage.get());
                self.meter.record(row);
                Response::from_parts(parts, ProxyBody::Full(bytes))
            }
            ProxyBody::Channel(upstream) => {
                let timing = Arc::new(Timing::default());
                let body = ProxyBody::Timed(TimedChannel::new(upstream, Arc::clone(&timing)));
                let connector = connector.to_owned();
                tokio::spawn(async move {
                    // hyper lets go of the body when the client has it all or went away;
                    // the upstream task then ends and completes the usage slot.
                    timing.released.notified().await;
                    let usage = usage.complete().await;
                    let cause = if timing.finished.load(Ordering::Relaxed) {
                        None
                    } else {
                        Some("client went away")
                    };
                    let mut row = self.row(&connector, status, cause, usage);
                    row.ttft_ms = timing
                        .first
                        .get()
                        .map(|t| t.saturating_duration_since(self.start).as_millis() as u64);
                    self.meter.record(row);
                });
                Response::from_parts(parts, body)
            }
            // Not produced upstream of the meter.
            ProxyBody::Timed(t) => Response::from_parts(parts, ProxyBody::Timed(t)),
        }
    }
}
