//! Queue deliveries, each handed to the product that consumes its queue (`Product::consumers`).

use crate::products::PRODUCTS;
use worker::{console_error, Env, MessageBatch};

pub async fn deliver(batch: &MessageBatch<String>, env: &Env) {
    let queue = batch.queue();
    let consumer = PRODUCTS.iter().flat_map(|product| product.consumers).find(|c| c.queue == queue);
    match consumer {
        Some(consumer) => (consumer.run)(batch, env).await,
        None => {
            // A queue bound in wrangler.toml that no product consumes: keep its messages
            // (retried, then dead-lettered) rather than drop them.
            console_error!(
                "queue {queue}: no product consumes it; {} messages retried",
                batch.raw_iter().len()
            );
            batch.retry_all();
        }
    }
}
