//! The backend's I/O thread: a thread of its own running a single-threaded tokio runtime, on
//! which every S3 call of one backend is made.
//!
//! The state traits are synchronous (see the module comment of [`super`]), and their callers
//! may be anywhere: on a thread with no runtime, or inside a task of the CLI's single-threaded
//! runtime, where neither `Runtime::block_on` nor `block_in_place` may be used. So a call is
//! sent to this thread as a future, and the caller waits on a plain channel for its result.
//! The client, its connections and their background tasks all live on this one runtime.

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;

type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A handle on the I/O thread. The thread ends once every handle is dropped.
#[derive(Debug, Clone)]
pub(crate) struct IoThread {
    jobs: mpsc::UnboundedSender<Job>,
}

impl IoThread {
    /// Starts the thread.
    pub(crate) fn start() -> std::io::Result<IoThread> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (jobs, mut received) = mpsc::unbounded_channel::<Job>();
        std::thread::Builder::new()
            .name("infra-s3-state".into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(job) = received.recv().await {
                        tokio::spawn(job);
                    }
                });
            })?;
        Ok(IoThread { jobs })
    }

    /// Runs `future` on the I/O thread and waits for its output. `None` when the thread is
    /// gone (it panicked), which callers report as an error.
    pub(crate) fn run<T, F>(&self, future: F) -> Option<T>
    where
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
    {
        let (reply, answer) = std_mpsc::sync_channel(1);
        let job: Job = Box::pin(async move {
            // The caller waits for this; it is gone only if its thread is.
            let _ = reply.send(future.await);
        });
        self.jobs.send(job).ok()?;
        answer.recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn futures_run_on_the_thread_from_anywhere() {
        let io = IoThread::start().expect("thread");
        assert_eq!(io.run(async { 40 + 2 }), Some(42));
        // From inside another runtime's task, where blocking on a runtime would panic.
        let outer = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let inner = io.clone();
        let got = outer.block_on(async move {
            inner.run(async {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                "slept"
            })
        });
        assert_eq!(got, Some("slept"));
    }
}
