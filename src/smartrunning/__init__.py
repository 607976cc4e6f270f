"""SmartRunning: a self-hosted training platform for running coaches and their athletes."""
