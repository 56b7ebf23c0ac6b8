"""The Matrix (Tchap) channel: matrix-nio with end-to-end encryption, over the same engine."""
