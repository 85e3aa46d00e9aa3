//! A Lambda function on the `Users` table's stream that writes one
//! `UserAudit` item per change; failed records are reported as
//! `batchItemFailures` (turn on `ReportBatchItemFailures` in the event
//! source mapping).

use users_example::User;
use users_stream_example::UserAudit;

#[tokio::main]
async fn main() -> Result<(), dynamo_lambda::Error> {
    let audit = UserAudit::table();
    let handler = User::stream_handler(move |change| {
        let audit = audit.clone();
        async move { users_stream_example::record(&audit, change).await }
    });
    dynamo_lambda::run(handler).await
}
