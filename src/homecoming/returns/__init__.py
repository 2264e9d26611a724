"""Return events, convoys and the programme's return targets."""
