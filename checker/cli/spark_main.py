"""The file to give spark-submit: it runs the casecoach command line with the arguments after it.

    spark-submit ... "$(python -c 'import checker.cli.spark_main as m; print(m.__file__)')" \
        spark-batch s3://exports/*.parquet --out s3://scored/

Absolute imports only: spark-submit runs this file as a script, outside its package.
"""
from checker.cli.main import main

if __name__ == "__main__":
    main()
