//! The server's periodic jobs (message delivery, retention), stoppable: when the server stops
//! they are told to end and awaited, so nothing touches the database after shutdown.

use std::future::Future;
use std::time::Duration;

use actix_web::rt::task::JoinHandle;
use tokio::sync::watch;

/// Where the periodic jobs are started and, at shutdown, stopped and awaited.
pub struct Background {
    stop: watch::Sender<bool>,
    jobs: Vec<JoinHandle<()>>,
}

impl Default for Background {
    fn default() -> Self {
        Self {
            stop: watch::channel(false).0,
            jobs: Vec::new(),
        }
    }
}

impl Background {
    /// Runs `round` every `interval` until stopped; a round under way is finished first.
    pub fn every<F, R>(&mut self, interval: Duration, mut round: F)
    where
        F: FnMut() -> R + 'static,
        R: Future<Output = ()> + 'static,
    {
        let mut stop = self.stop.subscribe();
        self.jobs.push(actix_web::rt::spawn(async move {
            loop {
                tokio::select! {
                    () = actix_web::rt::time::sleep(interval) => round().await,
                    _ = stop.changed() => return,
                }
            }
        }));
    }

    /// Runs the blocking `job` (database work) on the blocking pool every `interval`; a failed
    /// round is logged under `what` and the next one comes all the same.
    pub fn every_blocking<J, R>(&mut self, interval: Duration, what: &'static str, job: J)
    where
        J: Fn() -> anyhow::Result<R> + Send + Sync + 'static,
        R: Send + 'static,
    {
        let job = std::sync::Arc::new(job);
        self.every(interval, move || {
            let job = job.clone();
            async move {
                match actix_web::web::block(move || job()).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => {
                        tracing::warn!(error = format!("{error:#}"), job = what, "round failed")
                    }
                    Err(error) => tracing::error!(error = %error, job = what, "task failed"),
                }
            }
        });
    }

    /// Tells every job to end and waits until each has.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for job in self.jobs {
            let _ = job.await;
        }
    }
}
