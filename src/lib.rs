//! restage: rewrite single-stage Dockerfiles into multi-stage builds.
//!
//! Data flows one way: read → [`document`] (lossless parse) → [`plan`] (pair + recipe +
//! safety pass) → [`edit`] (byte splices) → re-parse + idempotence check → render / write.

pub mod app;
pub mod cli;
pub mod config;
pub mod discover;
pub mod document;
pub mod edit;
pub mod image;
pub mod knowledge;
pub mod mcp;
pub mod outcome;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod shell;
pub mod source;
pub mod verify;
pub mod write;
