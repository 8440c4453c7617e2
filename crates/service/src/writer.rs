//! Group commit for SQLite. A durable commit waits for the disk (fsync);
//! one commit per request would cap writes at the disk's flush rate. So on
//! SQLite every change goes to one writer task, which takes the changes that
//! arrived together and runs them in one transaction, each inside its own
//! savepoint: a change that fails rolls back alone and is answered at once;
//! the others are answered after the one shared commit made them durable.
//! PostgreSQL groups concurrent commits itself, so there each change runs in
//! a transaction of its own.
//!
//! The writer has a thread of its own: SQLite statements run on the thread
//! that asks for them, and the commit waits for the disk, so neither may
//! hold up the threads that serve requests. A change costs one hand-over to
//! this thread and one back, whatever its number of statements.
//!
//! Changes whose durability is [`Durability::Deferred`] (the audit entries
//! of reads) do not make a group wait for the disk: a group of only such
//! changes commits without a flush, and the writer flushes the log at the
//! latest [`FLUSH_WITHIN`] later (sooner if a flushed commit comes first).

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use careinbox_domain::Error;
use careinbox_storage::{Durability, Store, Tx};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use crate::events::Event;
use crate::realtime::Hub;

/// Changes that one transaction takes at most.
const MAX_BATCH: usize = 128;

/// How long a deferred commit may wait for the disk.
pub(crate) const FLUSH_WITHIN: Duration = Duration::from_millis(50);

/// What a change hands back once its statements ran: its events, and how to
/// answer its caller once the commit is known.
pub(crate) struct Ran {
    pub events: Vec<Event>,
    pub answer: Box<dyn FnOnce(Result<(), Error>) + Send>,
}

/// What runs a change's statements in the transaction it is given.
type Run = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Option<Ran>> + Send>;

/// One change.
pub(crate) struct Job {
    run: Run,
    durability: Durability,
}

/// The handle through which use cases reach the writer task.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    pub fn start(store: Store, hub: std::sync::Arc<Hub>) -> Writer {
        let (jobs, queue) = mpsc::channel(4096);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        match runtime {
            Ok(runtime) => {
                let spawned = std::thread::Builder::new()
                    .name("careinbox-writer".into())
                    .spawn(move || runtime.block_on(run(store, hub, queue)));
                if let Err(e) = spawned {
                    tracing::error!(error = %e, "cannot start the writer thread");
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot start the writer's runtime"),
        }
        Writer { jobs }
    }

    pub async fn submit(&self, job: Job) -> Result<(), Error> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| Error::Internal("the writer has stopped".into()))
    }
}

async fn run(store: Store, hub: std::sync::Arc<Hub>, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // Since when a deferred commit waits for the disk.
    let mut unflushed: Option<Instant> = None;
    loop {
        let received = match unflushed {
            None => queue.recv_many(&mut batch, MAX_BATCH).await,
            Some(since) => {
                let deadline = tokio::time::Instant::from_std(since + FLUSH_WITHIN);
                match tokio::time::timeout_at(deadline, queue.recv_many(&mut batch, MAX_BATCH))
                    .await
                {
                    Ok(received) => received,
                    Err(_) => {
                        flush(&store, &mut unflushed).await;
                        continue;
                    }
                }
            }
        };
        if received == 0 {
            flush(&store, &mut unflushed).await;
            return;
        }
        // A group flushes when one of its changes needs it, or when the
        // deferred commits before it have waited long enough.
        let flushed = batch.iter().any(|j| j.durability == Durability::Flushed)
            || unflushed.is_some_and(|since| since.elapsed() >= FLUSH_WITHIN);
        let durability = if flushed {
            Durability::Flushed
        } else {
            Durability::Deferred
        };
        let (answers, committed) = run_batch(&store, &mut batch, durability).await;
        if committed.is_ok() {
            if flushed {
                unflushed = None;
            } else {
                unflushed.get_or_insert_with(Instant::now);
            }
        }
        for answer in answers {
            answer(
                committed
                    .as_ref()
                    .map(|_| ())
                    .map_err(|e| Error::Internal(e.to_string().into())),
            );
        }
        if committed.as_ref().is_ok_and(|wrote_events| *wrote_events) {
            hub.wake();
        }
    }
}

/// Makes the deferred commits durable.
async fn flush(store: &Store, unflushed: &mut Option<Instant>) {
    if unflushed.take().is_some()
        && let Err(e) = store.flush().await
    {
        tracing::error!(error = %e, "cannot flush the database log");
    }
}

/// Runs the jobs in one transaction. Returns the answers still owed and the
/// commit's outcome (whether any events were written).
async fn run_batch(
    store: &Store,
    batch: &mut Vec<Job>,
    durability: Durability,
) -> (
    Vec<Box<dyn FnOnce(Result<(), Error>) + Send>>,
    Result<bool, Error>,
) {
    let mut answers = Vec::with_capacity(batch.len());
    let mut tx = match store.write_with(durability).await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "cannot begin a write transaction");
            batch.clear();
            return (answers, Err(e));
        }
    };
    let mut wrote_events = false;
    for job in batch.drain(..) {
        if let Err(e) = tx.savepoint().await {
            return (answers, Err(e));
        }
        let ran = AssertUnwindSafe((job.run)(&mut tx)).catch_unwind().await;
        match ran {
            Ok(Some(Ran { events, answer })) => {
                match crate::events::record(&events, &mut tx).await {
                    Ok(()) => {
                        wrote_events |= !events.is_empty();
                        if let Err(e) = tx.release_savepoint().await {
                            return (answers, Err(e));
                        }
                        answers.push(answer);
                    }
                    Err(e) => {
                        if let Err(e) = tx.rollback_to_savepoint().await {
                            return (answers, Err(e));
                        }
                        answer(Err(e));
                    }
                }
            }
            // The job failed and has answered its caller; undo its statements.
            Ok(None) | Err(_) => {
                if let Err(e) = tx.rollback_to_savepoint().await {
                    return (answers, Err(e));
                }
            }
        }
    }
    let committed = tx.commit().await.map(|_| wrote_events);
    (answers, committed)
}

/// Wraps a use case's body as a [`Job`] whose result reaches `done`.
pub(crate) fn job<T, F>(
    body: F,
    durability: Durability,
    done: oneshot::Sender<Result<T, Error>>,
) -> Job
where
    T: Send + 'static,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<(T, Vec<Event>), Error>> + Send + 'static,
{
    let run: Run = Box::new(move |tx| {
        Box::pin(async move {
            match body(tx).await {
                Ok((value, events)) => Some(Ran {
                    events,
                    answer: Box::new(move |committed| {
                        let _ = done.send(committed.map(|()| value));
                    }),
                }),
                Err(e) => {
                    let _ = done.send(Err(e));
                    None
                }
            }
        })
    });
    Job { run, durability }
}
