//! Resource graph, diff and plan model.
