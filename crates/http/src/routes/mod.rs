//! One module per resource; each handler parses its input into domain
//! values, makes one service call, and shapes the answer.

pub mod accounts;
pub mod conversations;
pub mod events;
pub mod inboxes;
pub mod ops;
