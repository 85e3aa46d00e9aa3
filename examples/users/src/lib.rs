//! The `Users` table (`schemas/users.yaml`): one item per user, keyed by id.

use dynamo_lambda::dynamo_lambda;
use serde::{Deserialize, Serialize};

/// A user of the service.
#[dynamo_lambda(schema = "../../schemas/users.yaml")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The e-mail address, stored as `mail`.
    #[dynamo(rename = "mail")]
    pub email: Option<String>,
    /// Age in years.
    pub age: u32,
}
