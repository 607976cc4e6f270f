"""Athletes: runners and their coaches, dated physiological parameters, personal bests
and critical speed, the profile page, the onboarding wizard.

``models`` · ``actions`` (creating runners, coaching) · ``parameters`` and
``parameter_values`` (dated values) · ``bests`` (bests, CS versions, predictions) ·
``profiles`` · ``policy`` (who sees which runner) · ``schemas`` · ``views``, ``wizard``,
``api*``, ``cli``."""
