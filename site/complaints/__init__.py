"""举报投诉 about disclosure (条例 Arts. 47, 51): complaints tracked to a written answer."""
