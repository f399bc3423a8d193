mod args;
mod canon;
mod fast;
mod scan;
mod schema;
