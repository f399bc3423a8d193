mod args;
mod fast;
mod scan;
mod schema;
