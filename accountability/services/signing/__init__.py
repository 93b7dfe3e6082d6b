"""Signing: the service's Ed25519 keys and the signatures on bundles' manifests."""
