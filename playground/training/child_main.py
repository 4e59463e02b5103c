"""The main module a training process imports in place of the window's own main script (see
``ui.training_thread``): deliberately empty, so starting a child runs nothing but the engine's import."""
