"""The technicians' phone app API. Depends on dispatch; dispatch never imports it."""
