use dynamo_lambda::dynamo_lambda;

// UsersTable's `TableName: !Sub "${AWS::StackName}-users"`, and no `table = "..."`.
#[dynamo_lambda(schema = "schemas/template.yaml#UsersTable")]
pub struct User {
    pub id: String,
}

fn main() {}
