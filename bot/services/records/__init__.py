"""A server's record in and out: import (readers, checks, writer), export, linking an outside
forecaster, forgetting a member."""
