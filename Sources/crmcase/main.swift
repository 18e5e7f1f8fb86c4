import CRMCaseCLI

CRMCase.main()
