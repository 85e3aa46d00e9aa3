//! Keeps an audit table in step with the `Users` table's stream.

fn main() {}
