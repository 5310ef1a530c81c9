"""Bad parameters for notebooks 03, 04, 05, 06, through papermill."""

from .bad_parameters import make_test

test_bad_parameters_stop_at_once_with_a_clear_message = make_test(("03", "04", "05", "06"))
