"""Neural parts: recognition models, neural routines and baselines (the only place torch is imported).

Import submodules explicitly, e.g. `from neurosym.neural.sequence_baseline import
train_lstm_recognizer`; nothing is imported eagerly, so `import neurosym` stays free of torch.
"""
