"""The repair knowledge base (KB-1..KB-14): a four-level tree, reviewed versions, bilingual
search over jieba-segmented terms, usage logging and administrator queues."""
