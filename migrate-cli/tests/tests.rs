//! End-to-end tests of the `migrate` binary (one test binary, one module per area).

mod util;

mod autogenerate;
mod checksum;
mod config;
mod db;
mod delivery;
mod errors;
mod fleet;
mod fresh;
mod graph;
mod help;
mod hostile;
mod init;
mod lint;
mod revision;
mod schema;
mod servers;
mod usage;
mod verbose;
mod workflow;
