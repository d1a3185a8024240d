//! Password hashing: argon2id with the OWASP parameters, on threads of its own.

use std::sync::{Arc, LazyLock, Mutex, mpsc};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::oneshot;

use crate::plumbing::error::ApiError;

/// argon2id, 19 MiB, 2 iterations, 1 lane: the OWASP Password Storage minimum.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Compared against when the account is unknown, so that an unknown email costs the same
/// verification time as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("a password nobody has").expect("hashing a constant works"));

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh random salt.
fn hash_now(password: &str) -> anyhow::Result<String> {
    let hash = argon2()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_now(phc: Option<&str>, password: &str) -> bool {
    let (phc, real) = match phc {
        Some(phc) => (phc, true),
        None => (DUMMY_HASH.as_str(), false),
    };
    let matches = PasswordHash::new(phc).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    });
    real && matches
}

type Job = Box<dyn FnOnce() + Send>;

/// argon2 runs on its own threads, one per core. More would not finish sooner, and on the
/// shared blocking pool every thread that ever hashed kept its 19 MiB in its malloc arena (the
/// login benchmark grew the server to 450 MB) and took threads that other requests' database
/// queries need. Jobs queue in arrival order.
///
/// The threads run at nice 10: a burst of logins (or a password-guessing attack) takes the
/// cores that are idle, but every other request is scheduled first (about nine time slices to
/// one), so reads keep their latency while logins saturate the hashing threads.
static HASHERS: LazyLock<mpsc::Sender<Job>> = LazyLock::new(|| {
    let (sender, jobs) = mpsc::channel::<Job>();
    let jobs = Arc::new(Mutex::new(jobs));
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    for n in 0..cores {
        let jobs = Arc::clone(&jobs);
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || {
                if let Err(error) = yield_to_requests() {
                    tracing::warn!(%error, "cannot lower the priority of a password-hashing thread");
                }
                loop {
                    let job = match jobs.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(poisoned) => poisoned.into_inner().recv(),
                    };
                    let Ok(job) = job else { return };
                    // A panic fails that one request (its reply channel is dropped), not the thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start a password-hashing thread");
        }
    }
    sender
});

/// Lowers the calling thread to nice 10 (`Crossplatform(22)` is nice 10 on Linux, where the
/// crate maps 0..=99 onto nice 19..=-20).
fn yield_to_requests() -> Result<(), thread_priority::Error> {
    let nice_10 = thread_priority::ThreadPriorityValue::try_from(22u8).expect("22 is in 0..=99");
    thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Crossplatform(
        nice_10,
    ))
}

/// Runs one argon2 computation on a hashing thread and waits for it without blocking a worker.
async fn on_a_core<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let (reply, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = reply.send(f());
    });
    HASHERS
        .send(job)
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no password-hashing thread runs")))?;
    result
        .await
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("password hashing failed")))
}

/// Hashes off the async workers: argon2 takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> Result<String, ApiError> {
    on_a_core(move || hash_now(&password))
        .await?
        .map_err(ApiError::Internal)
}

/// Verifies off the async workers. With no stored hash it still spends one verification and
/// answers `false`.
pub async fn verify(phc: Option<String>, password: String) -> Result<bool, ApiError> {
    on_a_core(move || verify_now(phc.as_deref(), &password)).await
}

/// Hashes synchronously, for the command line (no async runtime there).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    hash_now(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_at_owasp_strength_and_verifies() {
        let phc = hash_now("laulan aina aamulla").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_now(Some(&phc), "laulan aina aamulla"));
        assert!(!verify_now(Some(&phc), "laulan aina illalla"));
        assert_ne!(phc, hash_now("laulan aina aamulla").unwrap(), "salted");
    }

    /// Reads the nice value of every thread of this process whose name starts with `prefix`
    /// (field 19 of /proc/self/task/<tid>/stat).
    #[cfg(target_os = "linux")]
    fn nice_of_threads(prefix: &str) -> Vec<i32> {
        let mut found = Vec::new();
        for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if !comm.starts_with(prefix) {
                continue;
            }
            let stat = std::fs::read_to_string(task.path().join("stat")).unwrap();
            let after_name = &stat[stat.rfind(')').unwrap() + 2..];
            let nice = after_name.split(' ').nth(16).unwrap().parse().unwrap();
            found.push(nice);
        }
        found
    }

    #[cfg(target_os = "linux")]
    #[actix_web::test]
    async fn hashing_threads_yield_to_requests() {
        verify(None, "a password nobody has".to_owned())
            .await
            .unwrap();
        let nice = nice_of_threads("argon2-");
        assert!(!nice.is_empty(), "the hashing threads run");
        assert!(nice.iter().all(|n| *n == 10), "{nice:?}");
    }

    #[test]
    fn no_stored_hash_never_verifies() {
        assert!(!verify_now(None, "a password nobody has"));
        assert!(!verify_now(Some("not a phc string"), "x"));
    }
}
