"""Learn: corpus reading, model fitting, evaluation and the model card. Never imported at run time;
it imports the engine and below (and the store, for supervisors' reviews)."""
