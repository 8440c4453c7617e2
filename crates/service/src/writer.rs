//! Group commit for SQLite. A durable commit waits for the disk (fsync);
//! one commit per request would cap writes at the disk's flush rate. So on
//! SQLite every change goes to one writer task, which takes the changes that
//! arrived together and runs them in one transaction, each inside its own
//! savepoint: a change that fails rolls back alone and is answered at once;
//! the others are answered after the one shared commit made them durable.
//! PostgreSQL groups concurrent commits itself, so there each change runs in
//! a transaction of its own.

use std::panic::AssertUnwindSafe;

use careinbox_domain::Error;
use careinbox_storage::{Store, Tx};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

use crate::events::Event;
use crate::realtime::Hub;

/// Changes that one transaction takes at most.
const MAX_BATCH: usize = 128;

/// What a change hands back once its statements ran: its events, and how to
/// answer its caller once the commit is known.
pub(crate) struct Ran {
    pub events: Vec<Event>,
    pub answer: Box<dyn FnOnce(Result<(), Error>) + Send>,
}

/// One change: runs its statements in the transaction it is given.
pub(crate) type Job = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Option<Ran>> + Send>;

/// The handle through which use cases reach the writer task.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    pub fn start(store: Store, hub: std::sync::Arc<Hub>) -> Writer {
        let (jobs, queue) = mpsc::channel(4096);
        tokio::spawn(run(store, hub, queue));
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
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let answers = run_batch(&store, &mut batch).await;
        let committed = answers.1;
        for answer in answers.0 {
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

/// Runs the jobs in one transaction. Returns the answers still owed and the
/// commit's outcome (whether any events were written).
async fn run_batch(
    store: &Store,
    batch: &mut Vec<Job>,
) -> (
    Vec<Box<dyn FnOnce(Result<(), Error>) + Send>>,
    Result<bool, Error>,
) {
    let mut answers = Vec::with_capacity(batch.len());
    let mut tx = match store.write().await {
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
        let ran = AssertUnwindSafe(job(&mut tx)).catch_unwind().await;
        match ran {
            Ok(Some(Ran { events, answer })) => {
                let mut recorded = Ok(());
                for event in &events {
                    if let Err(e) = event.record(&mut tx).await {
                        recorded = Err(e);
                        break;
                    }
                }
                match recorded {
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
pub(crate) fn job<T, F>(body: F, done: oneshot::Sender<Result<T, Error>>) -> Job
where
    T: Send + 'static,
    F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<(T, Vec<Event>), Error>> + Send + 'static,
{
    Box::new(move |tx| {
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
    })
}
