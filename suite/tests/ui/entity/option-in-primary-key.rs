use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "Task", pk = "TASK#{id}", sk = "OWNER#{owner}")]
pub struct Task {
    pub id: String,
    pub owner: Option<String>,
}

fn main() {}
