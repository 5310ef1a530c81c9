"""Bad parameters for notebooks 00, 01, 02 and 07, through papermill."""

from .bad_parameters import make_test

test_bad_parameters_stop_at_once_with_a_clear_message = make_test(("00", "01", "02", "07"))
