//! The bounded pool for heavy queries: walks past 15 minutes run on blocking threads,
//! at most one per core at a time, so they never stall the requests answered inline.
//! Callers beyond that wait their turn; past a queue of four per core they get a 503.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use super::error::ApiError;

/// Walks up to this many metres are answered inline (15 minutes at 60 m/min).
pub const INLINE_MAX_M: f64 = 900.0;

#[derive(Debug)]
pub struct HeavyPool {
    permits: Arc<Semaphore>,
    queued: AtomicUsize,
    max_queued: usize,
}

impl Default for HeavyPool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, 4 * cores)
    }
}

impl HeavyPool {
    pub fn new(workers: usize, max_queued: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(workers)),
            queued: AtomicUsize::new(0),
            max_queued,
        }
    }

    /// Runs `work` on a blocking thread once a worker is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        if self.queued.fetch_add(1, Ordering::SeqCst) >= self.max_queued {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::Busy(
                "too many long walks are being computed; try again shortly".to_owned(),
            ));
        }
        let permit = self.permits.clone().acquire_owned().await;
        self.queued.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|e| ApiError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| ApiError::Internal(format!("a heavy query failed: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_and_a_full_queue_is_refused() {
        let pool = Arc::new(HeavyPool::new(1, 1));
        assert_eq!(pool.run(|| 2 + 2).await.unwrap(), 4);
        // Hold the only worker, fill the queue of one, then the next is refused.
        let (hold, release) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(move || release.recv().ok()).await }
        });
        while pool.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let second = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(|| 1).await }
        });
        while pool.queued.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        let refused = pool.run(|| 0).await;
        assert!(matches!(refused, Err(ApiError::Busy(_))), "{refused:?}");
        hold.send(()).unwrap();
        assert!(first.await.unwrap().is_ok());
        assert_eq!(second.await.unwrap().unwrap(), 1);
    }
}
