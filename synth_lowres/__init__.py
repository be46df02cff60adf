"""LLMs as teachers: synthetic training data for low-resource multilingual text classification

Modules:

- `synth_lowres.llm`: One request interface for every LLM call (classification and generation), three backends (transformers in-process, OpenAI-compatible HTTP, vLLM in-process), and a crash-safe disk cache that makes a repeated request free.
- `synth_lowres.prompts`: Zero-shot and in-context classification messages built from a task's YAML, adapted to chat templates that reject a system turn or demand strict alternation, and two label parsers: the paper's rule and a robust one."""

__version__ = "0.1.0"
