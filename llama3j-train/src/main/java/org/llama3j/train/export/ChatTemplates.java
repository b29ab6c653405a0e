package org.llama3j.train.export;

/** Chat templates (Jinja, as Hugging Face's tokenizer_config.json {@code chat_template}) an export can embed. */
public final class ChatTemplates {

    /**
     * Meta Llama 3 Instruct's template (Meta-Llama-3-8B-Instruct tokenizer_config.json): BOS, then per message
     * {@code <|start_header_id|>role<|end_header_id|>\n\n content|trim <|eot_id|>}, then the assistant header
     * when a generation prompt is asked for. It carries no "Cutting Knowledge Date", so
     * {@code Llama.chat} formats with the Llama 3 (not 3.1) reference format.
     */
    public static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim"
            + " + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    private ChatTemplates() {
    }
}
