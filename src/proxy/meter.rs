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
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
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
/// Rows inserted between two pauses of the writer.
const STEP: usize = 32;
const PAUSE: Duration = Duration::from_micros(100);
/// How long the writer gathers rows after the first before it commits them.
const GATHER: Duration = Duration::from_millis(25);

/// Today's spend per token: what budgets are checked against.
#[derive(Default)]
struct Spend {
    day_ms: i64,
    /// Everything known: the ledger as last read, plus this proxy's rows since.
    by_token: HashMap<String, (f64, u64)>,
    /// This proxy's rows of today not yet in the ledger (queued for the writer).
    unwritten: HashMap<String, (f64, u64)>,
}

impl Spend {
    fn add(map: &mut HashMap<String, (f64, u64)>, token: &str, usd: f64, tokens: u64) {
        let e = map.entry(token.to_owned()).or_default();
        e.0 += usd;
        e.1 += tokens;
    }

    /// `row` reached the ledger (or never will): no longer this proxy's alone.
    fn written(&mut self, row: &Row) {
        let Some((token, usd, tokens)) = spent(row) else {
            return;
        };
        if row.time_ms.div_euclid(DAY_MS) * DAY_MS != self.day_ms {
            return;
        }
        if let Some(e) = self.unwritten.get_mut(token) {
            e.0 = (e.0 - usd).max(0.0);
            e.1 = e.1.saturating_sub(tokens);
            if e.1 == 0 && e.0 <= 0.0 {
                self.unwritten.remove(token);
            }
        }
    }

    /// The ledger's totals of `day_ms` (every proxy of this home wrote there), plus what
    /// this proxy has not written yet. Within a day a refresh only ever raises a token's
    /// spend: `usage.db` is writable by any process of the user, and deleting rows from it
    /// must not give a budget back.
    fn refresh(&mut self, day_ms: i64, mut by_token: HashMap<String, (f64, u64)>) {
        if day_ms != self.day_ms {
            self.unwritten.clear();
        } else {
            for (token, (usd, tokens)) in &self.unwritten {
                Spend::add(&mut by_token, token, *usd, *tokens);
            }
            for (token, (usd, tokens)) in &self.by_token {
                let e = by_token.entry(token.clone()).or_default();
                e.0 = e.0.max(*usd);
                e.1 = e.1.max(*tokens);
            }
        }
        self.day_ms = day_ms;
        self.by_token = by_token;
    }
}

/// A row's token and what it spent.
fn spent(row: &Row) -> Option<(&str, f64, u64)> {
    let token = row.token.as_deref().filter(|_| row.time_ms >= 0)?;
    let tokens = row.input_tokens.unwrap_or(0) + row.output_tokens.unwrap_or(0);
    Some((token, row.cost_usd.unwrap_or(0.0), tokens))
}

/// How often a proxy that has seen a budget re-reads today's spend from the ledger, so the
/// proxies of one home share their budgets.
const REFRESH: Duration = Duration::from_secs(1);

/// What the writer thread shares with the request path.
struct Shared {
    spend: Mutex<Spend>,
    /// Set once a request's token has a budget: only then is the ledger re-read.
    budgets: AtomicBool,
    clock: Clock,
}

impl Shared {
    fn spend(&self) -> std::sync::MutexGuard<'_, Spend> {
        self.spend.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The ledger writer and the budgets' state, shared by all requests.
pub struct Meter {
    tx: Option<SyncSender<Row>>,
    writer: Option<std::thread::JoinHandle<()>>,
    dropped: Arc<AtomicU64>,
    prices: PriceTable,
    /// Connector name → its type (the ledger's `provider`).
    providers: HashMap<String, String>,
    shared: Arc<Shared>,
    /// `[alerts]`, and the budget each token was last seen with (checked as spend grows).
    alerts: Option<crate::ledger::alerts::Alerts>,
    budgets_seen: Mutex<HashMap<String, Budget>>,
}

impl Meter {
    /// A meter that writes no rows; budgets count only this run's requests (no prices).
    pub fn disabled() -> Meter {
        Meter {
            tx: None,
            writer: None,
            dropped: Arc::new(AtomicU64::new(0)),
            prices: PriceTable::default(),
            providers: HashMap::new(),
            shared: Arc::new(Shared {
                spend: Mutex::new(Spend::default()),
                budgets: AtomicBool::new(false),
                clock: Clock::default(),
            }),
            alerts: None,
            budgets_seen: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `[alerts] command` as tokens reach shares of their budgets.
    pub fn with_alerts(mut self, alerts: Option<crate::ledger::alerts::Alerts>) -> Meter {
        self.alerts = alerts;
        self
    }

    fn alert(&self, token: &str, budget: &Budget, usd: f64, tokens: u64) {
        if let Some(alerts) = &self.alerts {
            let day = crate::ledger::day_label(self.shared.clock.today_ms());
            alerts.check(token, budget, usd, tokens, &day);
        }
    }

    /// Opens the ledger and starts its writer thread. (Without a ledger, the proxy runs
    /// with [`Meter::disabled`]: budgets then count only that run's requests.)
    pub fn open(
        settings: &Settings,
        config: &crate::config::Config,
        providers: HashMap<String, String>,
    ) -> crate::error::Result<Meter> {
        let clock = Clock::from_settings(settings);
        let prices = PriceTable::for_config(config);
        let ledger = Ledger::open(settings)?;
        let today = clock.today_ms();
        let by_token = ledger.spend_by_token(today)?;
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        let shared = Arc::new(Shared {
            spend: Mutex::new(Spend {
                day_ms: today,
                by_token,
                unwritten: HashMap::new(),
            }),
            budgets: AtomicBool::new(false),
            clock,
        });
        let for_writer = Arc::clone(&shared);
        let writer = std::thread::Builder::new()
            .name("byok-ledger".into())
            .spawn(move || write_rows(ledger, rx, &for_writer))
            .map_err(|e| crate::error::Error::Http(e.to_string()))?;
        Ok(Meter {
            tx: Some(tx),
            writer: Some(writer),
            dropped,
            prices,
            providers,
            shared,
            alerts: None,
            budgets_seen: Mutex::new(HashMap::new()),
        })
    }

    /// Rows dropped because the writer fell behind.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Today's spend of a token: (USD, input + output tokens).
    pub fn spent_today(&self, token: &str) -> (f64, u64) {
        let today = self.shared.clock.today_ms();
        let mut spend = self.shared.spend();
        if spend.day_ms != today {
            spend.refresh(today, HashMap::new());
        }
        spend.by_token.get(token).copied().unwrap_or((0.0, 0))
    }

    /// The refusal message when the token's daily budget is used up.
    pub fn over_budget(&self, token: &str, record: &TokenRecord) -> Option<String> {
        let budget = Budget::parse(record.budget.as_deref()?)?;
        self.shared.budgets.store(true, Ordering::Relaxed);
        let (usd, tokens) = self.spent_today(token);
        if self.alerts.is_some() {
            self.budgets_seen
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(token.to_owned(), budget);
            self.alert(token, &budget, usd, tokens);
        }
        budget.exceeded(usd, tokens).then(|| {
            format!(
                "the byok budget of placeholder token '{token}' is used up: {budget} \
                 (spent {} today, UTC); it resets at 00:00 UTC",
                budget.spent(usd, tokens)
            )
        })
    }

    /// One request to a tool API (`[[api]]`, [`super::api`]): a row with the API's name as
    /// the connector, provider `api`, model `api:NAME`, the status and latency; no token
    /// counts, no cost, no budget.
    pub fn api_row(
        &self,
        token: &str,
        api: &str,
        status: u16,
        cause: Option<&str>,
        took: Duration,
    ) {
        let row = Row {
            time_ms: self.shared.clock.now_ms() - took.as_millis() as i64,
            kind: "proxy".into(),
            token: Some(token.to_owned()),
            connector: api.to_owned(),
            provider: "api".into(),
            model: format!("api:{api}"),
            status: Some(status),
            ok: cause.is_none() && (200..400).contains(&status),
            cause: cause.map(str::to_owned),
            latency_ms: took.as_millis() as u64,
            ttft_ms: None,
            input_tokens: None,
            output_tokens: None,
            cached_tokens: None,
            cache_write_tokens: None,
            cost_usd: None,
            absorbed: false,
            dropped: None,
        };
        self.record(row);
    }

    /// Starts metering one request.
    pub fn begin(self: &Arc<Self>, token: &str, model: &str, endpoint: Endpoint) -> Pending {
        Pending {
            meter: Arc::clone(self),
            // Token counting is not billed: not a row.
            skip: endpoint == Endpoint::CountTokens,
            token: token.to_owned(),
            model: model.to_owned(),
            time_ms: self.shared.clock.now_ms(),
            start: Instant::now(),
            dropped: None,
        }
    }

    fn record(&self, row: Row) {
        if let Some((token, usd, tokens)) = spent(&row) {
            let mut spend = self.shared.spend();
            let day = row.time_ms.div_euclid(DAY_MS) * DAY_MS;
            if spend.day_ms == day {
                Spend::add(&mut spend.by_token, token, usd, tokens);
                if self.tx.is_some() {
                    Spend::add(&mut spend.unwritten, token, usd, tokens);
                }
            }
            // The spend just grew: a threshold may be reached now, not at the next request.
            let total = spend.by_token.get(token).copied();
            drop(spend);
            let budget = self
                .budgets_seen
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(token)
                .copied();
            if let (Some(budget), Some((usd, tokens))) = (budget, total) {
                self.alert(token, &budget, usd, tokens);
            }
        }
        let Some(tx) = &self.tx else { return };
        match tx.try_send(row) {
            Ok(()) => {}
            Err(TrySendError::Full(row)) => {
                self.shared.spend().written(&row);
                let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                if n == 1 || n.is_power_of_two() {
                    crate::term::output::status(&format!(
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

fn write_rows(mut ledger: Ledger, rx: Receiver<Row>, shared: &Shared) {
    // A commit costs about a millisecond of CPU: on a busy machine, taken from the request
    // path it added that to the proxy's p99 (scripts/bench-proxy, the busy-core run).
    crate::os::lower_this_thread_priority();
    let mut refreshed = Instant::now();
    loop {
        let first = match rx.recv_timeout(REFRESH) {
            Ok(row) => Some(row),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if let Some(first) = first {
            write_batches(&mut ledger, &rx, first, shared);
        }
        // Other proxies of this home spend the same budgets: re-read what they wrote.
        if shared.budgets.load(Ordering::Relaxed) && refreshed.elapsed() >= REFRESH {
            refreshed = Instant::now();
            let today = shared.clock.today_ms();
            if let Ok(by_token) = ledger.spend_by_token(today) {
                shared.spend().refresh(today, by_token);
            }
        }
    }
}

fn write_batches(ledger: &mut Ledger, rx: &Receiver<Row>, first: Row, shared: &Shared) {
    // The rows of the next GATHER share one transaction: under load a commit per request was
    // a quarter of the proxy's CPU. Sleeping (rather than waiting on the channel) spares the
    // request path a wake-up of this thread per row. A row is on disk, and seen by `byok
    // usage`, within GATHER of its request.
    std::thread::sleep(GATHER);
    let mut batch = vec![first];
    loop {
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(row) => batch.push(row),
                Err(_) => break,
            }
        }
        // One transaction, written STEP rows at a time with a pause between: the CPU is given
        // back every ~100 µs, so a request on a busy machine never waits behind a whole batch
        // (the busy-core p99 of scripts/bench-proxy), and the commit count stays low.
        let paced = ledger.insert_in_steps(&batch, STEP, || std::thread::sleep(PAUSE));
        if let Err(e) = paced {
            crate::term::output::status(&format!(
                "byok proxy: {} row(s) not written to the usage ledger: {e}",
                batch.len()
            ));
        }
        {
            let mut spend = shared.spend();
            batch.iter().for_each(|row| spend.written(row));
        }
        if batch.len() < BATCH {
            return;
        }
        batch.clear();
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
    /// The fields the translation for the answering connector dropped.
    dropped: Option<String>,
}

impl Pending {
    /// The fields the next attempt's translation dropped with a note (none: `[]`).
    pub fn set_dropped(&mut self, dropped: &[&'static str]) {
        self.dropped = (!dropped.is_empty()).then(|| dropped.join(", "));
    }

    /// An attempt that failed and was absorbed: the next connector is tried. Its own row
    /// (marked absorbed, with the attempt's latency) lets `usage` and `usage --check` see a
    /// dead key that fallback hides from the client.
    pub fn absorbed(
        &self,
        connector: &str,
        status: Option<u16>,
        class: FailureClass,
        took: Duration,
    ) {
        if self.skip {
            return;
        }
        let mut row = self.row(connector, status.unwrap_or(0), Some(class.label()), None);
        row.status = status;
        row.absorbed = true;
        row.latency_ms = took.as_millis() as u64;
        self.meter.record(row);
    }

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
            absorbed: false,
            dropped: self.dropped.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(token: &str, usd: f64, tokens: u64) -> Row {
        Row {
            time_ms: DAY_MS + 5,
            token: Some(token.into()),
            cost_usd: Some(usd),
            input_tokens: Some(tokens),
            output_tokens: Some(0),
            ..Row::default()
        }
    }

    #[test]
    fn a_refresh_counts_every_row_once() {
        let mut spend = Spend {
            day_ms: DAY_MS,
            ..Spend::default()
        };
        // This proxy's two rows: one written, one still queued.
        for r in [row("t", 7.0, 5), row("t", 2.0, 1)] {
            let (token, usd, tokens) = spent(&r).unwrap();
            Spend::add(&mut spend.by_token, token, usd, tokens);
            Spend::add(&mut spend.unwritten, token, usd, tokens);
        }
        spend.written(&row("t", 7.0, 5));
        assert_eq!(spend.unwritten["t"], (2.0, 1));
        // The ledger holds the written row and another proxy's $3.
        let ledger = HashMap::from([("t".to_owned(), (10.0, 8))]);
        spend.refresh(DAY_MS, ledger.clone());
        assert_eq!(spend.by_token["t"], (12.0, 9));
        // Once the queued row is written, the next refresh does not count it twice.
        spend.written(&row("t", 2.0, 1));
        assert!(spend.unwritten.is_empty());
        spend.refresh(DAY_MS, HashMap::from([("t".to_owned(), (12.0, 9))]));
        assert_eq!(spend.by_token["t"], (12.0, 9));
        // Rows deleted from the ledger give nothing back within the day.
        spend.refresh(DAY_MS, HashMap::new());
        assert_eq!(spend.by_token["t"], (12.0, 9));
        spend.refresh(DAY_MS, HashMap::from([("t".to_owned(), (1.0, 1))]));
        assert_eq!(spend.by_token["t"], (12.0, 9));
        // A new day starts from the ledger alone.
        spend.unwritten.insert("t".into(), (1.0, 1));
        spend.refresh(2 * DAY_MS, HashMap::new());
        assert!(spend.by_token.is_empty() && spend.unwritten.is_empty());
    }
}
