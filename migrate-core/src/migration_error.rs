//! What a migration's own code returns: any error at all, so `?` works on io, parse, serde,
//! Diesel and migrate errors alike (the prelude's `Result`).

use std::fmt;

use crate::error::{BoxError, Error};

/// An error returned by a migration's code (`upgrade`, `downgrade`, an `op.run` step).
///
/// Any `std::error::Error + Send + Sync` converts into it with `?`, as with `anyhow::Error`;
/// [`MigrationError::msg`] makes one from text. It is deliberately not a
/// `std::error::Error` itself (that is what makes the blanket conversion possible): the
/// runtime turns it into an [`Error`] that keeps the original as its `source()`.
///
/// # Examples
///
/// ```
/// use migrate_core::prelude::*;
///
/// #[migration(rev = "a1b2c3d4e5f6")]
/// pub fn upgrade(op: &mut Op) -> Result<()> {
///     let rows: u32 = op.arg("rows").unwrap_or("10").parse()?; // a ParseIntError
///     if rows > 1000 {
///         return Err(Error::msg("at most 1000 rows"));
///     }
///     Ok(())
/// }
/// # fn main() {}
/// ```
pub struct MigrationError(BoxError);

impl MigrationError {
    /// An error with only a message.
    pub fn msg(message: impl fmt::Display) -> MigrationError {
        MigrationError(Box::new(Message(message.to_string())))
    }

    /// The error itself.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.0
    }

    /// The error as a `T`, if it is one.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for MigrationError {
    fn from(e: E) -> MigrationError {
        MigrationError(Box::new(e))
    }
}

impl fmt::Debug for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The text of [`MigrationError::msg`].
#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

/// The runtime's view: one of ours stays itself, anything else is kept as the source.
impl From<MigrationError> for Error {
    fn from(e: MigrationError) -> Error {
        match e.0.downcast::<Error>() {
            Ok(ours) => *ours,
            Err(other) => match other.downcast::<Message>() {
                Ok(message) => Error::Message(message.0),
                Err(other) => Error::Code(other),
            },
        }
    }
}

/// Not public API: calls the user's migration fn `f` and turns what it returns (the
/// prelude's `Result`, or `migrate_core::Result`) into the runtime's `Result`.
/// `migrations!()` wraps a fn in it when the fn's return type is written some other way.
#[doc(hidden)]
pub fn call<F, E>(f: F, op: &mut crate::Op) -> crate::Result<()>
where
    F: FnOnce(&mut crate::Op) -> std::result::Result<(), E>,
    E: Into<Error>,
{
    f(op).map_err(Into::into)
}

/// Not public API: does nothing at run time. `#[migration]` puts `signature(name)` first in
/// the fn's body, spanned on its name (and one for the `downgrade` fn, on its path), so a fn
/// of the wrong shape fails there, naming the signature expected, at the cost of one
/// statement in a body the compiler checks anyway (an item per migration costs far more).
#[doc(hidden)]
#[inline(always)]
pub fn signature<F, E>(_: F)
where
    F: FnOnce(&mut crate::Op) -> std::result::Result<(), E>,
    E: Into<Error>,
{
}
