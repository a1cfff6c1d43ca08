"""The plumbing every feature stands on: shared services, permissions, messaging, the
durable inbox, the rate limiter, the scheduler and clock, handler groups and commands,
erasure, guards and concurrency. Nothing here imports a feature, the app or the demo."""
