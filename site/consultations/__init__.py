"""征求意见 and 重大决策预公开: drafts opened for comment, moderated comments, published feedback."""
