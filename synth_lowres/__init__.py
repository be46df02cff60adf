"""LLMs as teachers: synthetic training data for low-resource multilingual text classification

Modules:

- `synth_lowres.instruct`: A compact chat LLM taught the classification task with LoRA adapters (`peft` + `Trainer`) on the repeat's training subset, then asked through the same prompts and parser as zero-shot.
- `synth_lowres.llm`: One request interface for every LLM call (classification and generation), three backends (transformers in-process, OpenAI-compatible HTTP, vLLM in-process), and a crash-safe disk cache that makes a repeated request free.
- `synth_lowres.llm_students`: An instruction-following LLM used directly as a classifier: zero-shot (the paper's generator baseline and its compact LLMs) or with k examples per class from the repeat's training subset as in-context demonstrations.
- `synth_lowres.prompts`: Zero-shot and in-context classification messages built from a task's YAML, adapted to chat templates that reject a system turn or demand strict alternation, and two label parsers: the paper's rule and a robust one."""

__version__ = "0.1.0"
